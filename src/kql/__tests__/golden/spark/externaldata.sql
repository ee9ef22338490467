WITH q1 AS (SELECT `a`, `b` FROM `__externaldata_1`),
q2 AS (SELECT * FROM q1 WHERE (`b` > CAST(1 AS BIGINT)))
SELECT `a`, `b` FROM q2
