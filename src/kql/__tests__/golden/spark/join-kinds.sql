WITH q1 AS (SELECT `UserPrincipalName` AS `UserPrincipalName`, CAST(count(*) AS BIGINT) AS `s` FROM `SigninLogs` GROUP BY 1),
q2 AS (SELECT `UserPrincipalName`, `ResultType` FROM `SigninLogs` WHERE (coalesce(`ResultType`, '') <> '0')),
q3 AS (SELECT `UserPrincipalName` AS `UserPrincipalName`, CAST(count(*) AS BIGINT) AS `f` FROM q2 GROUP BY 1),
q4 AS (SELECT l.* FROM q1 l WHERE NOT EXISTS (SELECT 1 FROM q3 r WHERE coalesce(l.`UserPrincipalName`, '') = coalesce(r.`UserPrincipalName`, ''))),
q5 AS (SELECT DISTINCT `UserPrincipalName` AS `UserPrincipalName`, `AppDisplayName` AS `AppDisplayName` FROM `SigninLogs`),
q6 AS (SELECT l.`UserPrincipalName` AS `UserPrincipalName`, l.`s` AS `s`, r.`UserPrincipalName` AS `UserPrincipalName1`, r.`AppDisplayName` AS `AppDisplayName` FROM q4 l LEFT JOIN q5 r ON coalesce(l.`UserPrincipalName`, '') = coalesce(r.`UserPrincipalName`, ''))
SELECT `UserPrincipalName`, `s`, `UserPrincipalName1`, `AppDisplayName` FROM q6
