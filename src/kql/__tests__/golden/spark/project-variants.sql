WITH q1 AS (SELECT `TimeGenerated` AS `TimeGenerated`, `EventID` AS `EventID`, `Account` AS `Account`, `IpAddress` AS `IpAddress` FROM `SecurityEvent`),
q2 AS (SELECT `TimeGenerated` AS `TimeGenerated`, `EventID` AS `EventID`, `Account` AS `Who`, `IpAddress` AS `IpAddress` FROM q1),
q3 AS (SELECT `EventID` AS `EventID`, `TimeGenerated` AS `TimeGenerated`, `Who` AS `Who`, `IpAddress` AS `IpAddress` FROM q2),
q4 AS (SELECT `EventID` AS `EventID`, `Who` AS `Who` FROM q3)
SELECT `EventID`, `Who` FROM q4
