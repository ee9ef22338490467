WITH q1 AS (SELECT 'SecurityEvent' AS `SourceTable` FROM `SecurityEvent` UNION ALL SELECT 'SigninLogs' AS `SourceTable` FROM `SigninLogs`),
q2 AS (SELECT `SourceTable` FROM q1),
q3 AS (SELECT `SourceTable` AS `SourceTable`, CAST(count(*) AS BIGINT) AS `count_` FROM q2 GROUP BY 1)
SELECT `SourceTable`, `count_` FROM q3
