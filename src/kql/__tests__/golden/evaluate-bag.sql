-- discovery bag_unpack@52
SELECT '' || k AS name, CASE WHEN count(DISTINCT t) = 1 THEN min(t) ELSE 'dynamic' END AS type FROM (SELECT e.key AS k, CASE json_type(e.value) WHEN 'VARCHAR' THEN 'string' WHEN 'BIGINT' THEN 'long' WHEN 'UBIGINT' THEN 'long' WHEN 'DOUBLE' THEN 'real' WHEN 'BOOLEAN' THEN 'bool' WHEN 'NULL' THEN NULL ELSE 'dynamic' END AS t FROM (WITH q1 AS (SELECT * FROM (VALUES (CAST('{"a":1,"b":"x"}' AS JSON))) AS t("d"))
SELECT "d" FROM q1) __input, json_each(CASE WHEN json_type(__input."d") = 'OBJECT' THEN __input."d" END) e) GROUP BY k ORDER BY k
