WITH q1 AS (SELECT * FROM (VALUES (CAST(1 AS BIGINT), CAST('[3,1,2]' AS JSON))) AS t("id", "xs")),
q2 AS (SELECT *, row_number() OVER () AS __row1 FROM q1),
q3 AS (SELECT "id", "xs", unnest(CASE WHEN json_type("xs") = 'ARRAY' THEN CAST("xs" AS JSON[]) WHEN json_type("xs") = 'OBJECT' THEN list_transform(json_keys("xs"), k -> json_object(k, json_extract("xs", '$."' || replace(k, '"', '\"') || '"'))) ELSE ["xs"] END) AS "x", "__row1" FROM q2),
q4 AS (SELECT "id", "xs", TRY_CAST(json_extract_string("x", '$') AS BIGINT) AS "x", "__row1" FROM q3),
q5 AS (SELECT * FROM q4 QUALIFY row_number() OVER (PARTITION BY __row1 ORDER BY coalesce("x", NULL) DESC NULLS LAST) <= CAST(2 AS BIGINT)),
q6 AS (SELECT b."id", b."xs", b."x" FROM q5 b JOIN q2 i ON b.__row1 = i.__row1)
SELECT "id", "xs", "x" FROM q6
