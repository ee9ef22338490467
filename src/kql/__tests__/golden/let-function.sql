WITH q1 AS (SELECT "TimeGenerated", "UserPrincipalName", "ResultType" FROM "SigninLogs" WHERE (("TimeGenerated" > (CAST('2024-01-15 12:00:00.000' AS TIMESTAMP) - to_microseconds(CAST(604800000000 AS BIGINT)))) AND (coalesce("ResultType", '') <> '0'))),
q2 AS (SELECT "UserPrincipalName" AS "UserPrincipalName", CAST(count(*) AS BIGINT) AS "n" FROM q1 GROUP BY 1),
q3 AS (SELECT * FROM q2 WHERE ("n" > CAST(3 AS BIGINT))),
q4 AS (SELECT "UserPrincipalName", "n", coalesce(try(CAST("n" * CAST(2 AS BIGINT) AS BIGINT)), CAST((((CAST("n" AS HUGEINT) * CAST(CAST(2 AS BIGINT) AS HUGEINT)) % 18446744073709551616) + 27670116110564327424) % 18446744073709551616 - 9223372036854775808 AS BIGINT)) AS "n2" FROM q3)
SELECT "UserPrincipalName", "n", "n2" FROM q4
