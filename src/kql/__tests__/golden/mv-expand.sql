WITH q1 AS (SELECT * FROM (VALUES (CAST(1 AS BIGINT), CAST('["a","b"]' AS JSON)), (CAST(2 AS BIGINT), CAST('{"k":1}' AS JSON))) AS t("id", "tags")),
q2 AS (SELECT "id", "tags", unnest(CASE WHEN json_type("tags") = 'ARRAY' THEN CAST("tags" AS JSON[]) WHEN json_type("tags") = 'OBJECT' THEN list_transform(json_keys("tags"), k -> json_object(k, json_extract("tags", '$."' || replace(k, '"', '\"') || '"'))) ELSE ["tags"] END) AS "tag" FROM q1),
q3 AS (SELECT "id", "tags", TRY_CAST(json_extract_string("tag", '$') AS VARCHAR) AS "tag" FROM q2),
q4 AS (SELECT "id", unnest(CASE WHEN json_type("tags") = 'ARRAY' THEN CAST("tags" AS JSON[]) WHEN json_type("tags") = 'OBJECT' THEN list_transform(json_keys("tags"), k -> json_array(k, json_extract("tags", '$."' || replace(k, '"', '\"') || '"'))) ELSE ["tags"] END) AS "tags", "tag" FROM q3)
SELECT "id", "tags", "tag" FROM q4
