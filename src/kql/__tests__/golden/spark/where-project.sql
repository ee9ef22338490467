WITH q1 AS (SELECT * FROM `SecurityEvent` WHERE (((`EventID` = TRY_CAST(CAST(4625 AS BIGINT) AS INT)) AND (NOT (contains(lower(coalesce(`Account`, '')), 'svc') AND regexp_like(coalesce(`Account`, ''), '(?i)(?:^|[^\p{L}\p{N}])svc(?:$|[^\p{L}\p{N}])')))) AND (`TimeGenerated` > (CAST('2024-01-15 12:00:00.000' AS TIMESTAMP) - (INTERVAL 1 MICROSECOND * (CAST(86400000000 AS BIGINT))))))),
q2 AS (SELECT `TimeGenerated` AS `TimeGenerated`, `Account` AS `Account`, `Computer` AS `Computer`, `IpAddress` AS `IpAddress` FROM q1)
SELECT `TimeGenerated`, `Account`, `Computer`, `IpAddress` FROM q2
