WITH q1 AS (SELECT kql_time_bucket((INTERVAL 1 MICROSECOND * (CAST(3600000000 AS BIGINT))), `TimeGenerated`, TIMESTAMP '0001-01-01 00:00:00') AS `TimeGenerated`, CAST(count(*) AS BIGINT) AS `count_` FROM `SigninLogs` GROUP BY 1)
SELECT `TimeGenerated`, `count_` FROM q1
