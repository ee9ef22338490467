WITH q1 AS (SELECT "EventID" AS "EventID", "Account" AS "Account" FROM "SecurityEvent"),
q2 AS (SELECT "EventID" AS "EventID", "Account" AS "Who" FROM q1),
q3 AS (SELECT "EventID" AS "EventID", "Who" AS "Who" FROM q2),
q4 AS (SELECT "EventID" AS "EventID", "Who" AS "Who" FROM q3)
SELECT "EventID", "Who" FROM q4
