WITH q1 AS (SELECT `Account` AS `Account`, `Computer` AS `Other` FROM `SecurityEvent`),
q2 AS (SELECT * EXCEPT (`__qualify`) FROM (SELECT * EXCEPT (`__position`), row_number() OVER (PARTITION BY `Account` ORDER BY `__position`) = 1 AS `__qualify` FROM (SELECT *, row_number() OVER (ORDER BY monotonically_increasing_id()) AS `__position` FROM `SecurityEvent`)) WHERE `__qualify`),
q3 AS (SELECT l.`TimeGenerated` AS `TimeGenerated`, l.`EventID` AS `EventID`, l.`Account` AS `Account`, l.`Computer` AS `Computer`, l.`IpAddress` AS `IpAddress`, r.`Account` AS `Account1`, r.`Other` AS `Other` FROM q2 l JOIN q1 r ON coalesce(l.`Account`, '') = coalesce(r.`Account`, ''))
SELECT `TimeGenerated`, `EventID`, `Account`, `Computer`, `IpAddress`, `Account1`, `Other` FROM q3
