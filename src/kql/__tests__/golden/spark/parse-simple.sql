WITH q1 AS (SELECT * FROM (VALUES ('user=alice id=42 at host1')) AS t(`line`)),
q2 AS (SELECT `line`, regexp_extract(coalesce(`line`, ''), '(?s)^user=(.*?) id=(-?\d+) at (.*)', 1) AS `user`, TRY_CAST(nullif(regexp_extract(coalesce(`line`, ''), '(?s)^user=(.*?) id=(-?\d+) at (.*)', 2), '') AS BIGINT) AS `id`, regexp_extract(coalesce(`line`, ''), '(?s)^user=(.*?) id=(-?\d+) at (.*)', 3) AS `host` FROM q1)
SELECT `line`, `user`, `id`, `host` FROM q2
