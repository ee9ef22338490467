WITH q1 AS (SELECT `TimeGenerated`, `UserPrincipalName`, `ResultType` FROM `SigninLogs` WHERE ((`TimeGenerated` > (CAST('2024-01-15 12:00:00.000' AS TIMESTAMP) - (INTERVAL 1 MICROSECOND * (CAST(604800000000 AS BIGINT))))) AND (coalesce(`ResultType`, '') <> '0'))),
q2 AS (SELECT `UserPrincipalName` AS `UserPrincipalName`, CAST(count(*) AS BIGINT) AS `n` FROM q1 GROUP BY 1),
q3 AS (SELECT * FROM q2 WHERE (`n` > CAST(3 AS BIGINT))),
q4 AS (SELECT `UserPrincipalName`, `n`, CAST((`n` * CAST(2 AS BIGINT)) AS BIGINT) AS `n2` FROM q3)
SELECT `UserPrincipalName`, `n`, `n2` FROM q4
