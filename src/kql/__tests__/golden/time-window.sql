WITH "SigninLogs" AS NOT MATERIALIZED (SELECT * FROM "SigninLogs" WHERE "TimeGenerated" >= CAST('2024-01-14 00:00:00.000' AS TIMESTAMP) AND "TimeGenerated" < CAST('2024-01-15 00:00:00.000' AS TIMESTAMP)),
"AuditLogs" AS NOT MATERIALIZED (SELECT * FROM "AuditLogs" WHERE "TimeGenerated" >= CAST('2024-01-14 00:00:00.000' AS TIMESTAMP) AND "TimeGenerated" < CAST('2024-01-15 00:00:00.000' AS TIMESTAMP)),
q1 AS (SELECT * FROM "SigninLogs" WHERE (contains(lower(coalesce("UserPrincipalName", '')), 'admin') AND regexp_matches(coalesce("UserPrincipalName", ''), '(?i)(?:^|[^\p{L}\p{N}])admin(?:$|[^\p{L}\p{N}])'))),
q2 AS (SELECT "InitiatedBy" AS "InitiatedBy", CAST(count(*) AS BIGINT) AS "ops" FROM "AuditLogs" GROUP BY 1),
q3 AS (SELECT l."TimeGenerated" AS "TimeGenerated", l."UserPrincipalName" AS "UserPrincipalName", l."AppDisplayName" AS "AppDisplayName", l."ResultType" AS "ResultType", l."IPAddress" AS "IPAddress", r."InitiatedBy" AS "InitiatedBy", r."ops" AS "ops" FROM q1 l JOIN q2 r ON coalesce(l."UserPrincipalName", '') = coalesce(r."InitiatedBy", '')),
q4 AS (SELECT * FROM (VALUES ('x')) AS t("UserPrincipalName")),
q5 AS (SELECT "TimeGenerated", "UserPrincipalName", "AppDisplayName", "ResultType", "IPAddress", "InitiatedBy", "ops" FROM q3 UNION ALL BY NAME SELECT "UserPrincipalName" FROM q4),
q6 AS (SELECT "TimeGenerated", "UserPrincipalName", "AppDisplayName", "ResultType", "IPAddress", "InitiatedBy", "ops" FROM q5)
SELECT CASE WHEN "TimeGenerated" BETWEEN TIMESTAMP '1677-09-22 00:00:00' AND TIMESTAMP '2262-04-11 00:00:00' THEN CAST("TimeGenerated" AS TIMESTAMP_NS) END AS "TimeGenerated", "UserPrincipalName", "AppDisplayName", "ResultType", "IPAddress", "InitiatedBy", "ops" FROM q6
