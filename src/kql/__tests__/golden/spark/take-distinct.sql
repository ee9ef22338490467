WITH q1 AS (SELECT DISTINCT `Account` AS `Account`, `Computer` AS `Computer` FROM `SecurityEvent`),
q2 AS (SELECT * FROM q1 LIMIT CAST(CAST(5 AS BIGINT) AS INT))
SELECT `Account`, `Computer` FROM q2
