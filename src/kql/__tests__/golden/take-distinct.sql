WITH q1 AS (SELECT DISTINCT "Account" AS "Account", "Computer" AS "Computer" FROM "SecurityEvent"),
q2 AS (SELECT * FROM q1 LIMIT CAST(5 AS BIGINT))
SELECT "Account", "Computer" FROM q2
