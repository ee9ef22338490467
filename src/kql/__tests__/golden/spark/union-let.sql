WITH q1 AS (SELECT * FROM (VALUES (CAST(1 AS BIGINT)), (CAST(2 AS BIGINT))) AS t(`x`)),
q2 AS (SELECT * FROM (VALUES (CAST(3 AS BIGINT), 'z')) AS t(`x`, `y`)),
q3 AS (SELECT 'union_arg0' AS `T`, `x` AS `x`, CAST(NULL AS STRING) AS `y` FROM q1 UNION ALL SELECT 'union_arg1' AS `T`, `x` AS `x`, `y` AS `y` FROM q2),
q4 AS (SELECT `T`, `x`, `y` FROM q3)
SELECT `T`, `x`, `y` FROM q4
