WITH q1 AS (SELECT *, `AppDisplayName` AS __k1, `UserPrincipalName` AS __k2 FROM `SigninLogs`),
q2 AS (SELECT __k1, CAST(count(*) AS BIGINT) AS __a1 FROM q1 r GROUP BY __k1 QUALIFY row_number() OVER (ORDER BY __a1 DESC NULLS LAST, __k1) <= CAST(2 AS BIGINT)),
q3 AS (SELECT __k1, __k2, CAST(count(*) AS BIGINT) AS __a2 FROM q1 r WHERE EXISTS (SELECT 1 FROM q2 p WHERE p.__k1 IS NOT DISTINCT FROM r.__k1) GROUP BY __k1, __k2 QUALIFY row_number() OVER (PARTITION BY __k1 ORDER BY __a2 DESC NULLS LAST, __k2) <= CAST(1 AS BIGINT)),
q4 AS (SELECT p.__k1, p.__a1, g.__k2, g.__a2 FROM q3 g JOIN q2 p ON p.__k1 IS NOT DISTINCT FROM g.__k1),
q5 AS (SELECT * FROM q4),
q6 AS (SELECT __k1 AS `AppDisplayName`, __a1 AS `n`, __k2 AS `UserPrincipalName`, __a2 AS `m` FROM q5)
SELECT `AppDisplayName`, `n`, `UserPrincipalName`, `m` FROM q6
