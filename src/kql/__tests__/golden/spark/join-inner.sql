WITH q1 AS (SELECT * FROM `SigninLogs` WHERE (coalesce(`ResultType`, '') <> '0')),
q2 AS (SELECT `InitiatedBy` AS `InitiatedBy`, `OperationName` AS `OperationName`, `TimeGenerated` AS `Time2` FROM `AuditLogs`),
q3 AS (SELECT l.`TimeGenerated` AS `TimeGenerated`, l.`UserPrincipalName` AS `UserPrincipalName`, l.`AppDisplayName` AS `AppDisplayName`, l.`ResultType` AS `ResultType`, l.`IPAddress` AS `IPAddress`, r.`InitiatedBy` AS `InitiatedBy`, r.`OperationName` AS `OperationName`, r.`Time2` AS `Time2` FROM q1 l JOIN q2 r ON coalesce(l.`UserPrincipalName`, '') = coalesce(r.`InitiatedBy`, ''))
SELECT `TimeGenerated`, `UserPrincipalName`, `AppDisplayName`, `ResultType`, `IPAddress`, `InitiatedBy`, `OperationName`, `Time2` FROM q3
