WITH q1 AS (SELECT * FROM (VALUES (CAST(1 AS BIGINT)), (CAST(2 AS BIGINT))) AS t("x")),
q2 AS (SELECT * FROM (VALUES (CAST(3 AS BIGINT), 'z')) AS t("x", "y")),
q3 AS (SELECT "x", 'union_arg0' AS "T" FROM q1 UNION ALL BY NAME SELECT "x", "y", 'union_arg1' AS "T" FROM q2),
q4 AS (SELECT "T", "x", "y" FROM q3)
SELECT "T", "x", "y" FROM q4
