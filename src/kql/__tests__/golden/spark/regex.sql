WITH q1 AS (SELECT * FROM (VALUES ('id=42; id=7'), ('none')) AS t(`s`)),
q2 AS (SELECT `s`, regexp_extract(coalesce(`s`, ''), 'id=([\p{Nd}]+)', TRY_CAST(CAST(1 AS BIGINT) AS INT)) AS `a`, nullif(CAST(regexp_extract_all(coalesce(`s`, ''), 'id=([\p{Nd}]+)', 1) AS VARIANT), '[]') AS `b`, regexp_like(coalesce(`s`, ''), '^[\p{L}\p{Mn}\p{Nd}\p{Pc}]+=[\p{Nd}]') AS `c`, regexp_replace(coalesce(`s`, ''), '[\p{Nd}]', '#') AS `d`, CAST(size(regexp_extract_all(coalesce(`s`, ''), '[\p{Nd}]+')) AS BIGINT) AS `e` FROM q1)
SELECT `s`, `a`, to_json(`b`) AS `b`, `c`, `d`, `e` FROM q2
