/**
 * MITRE ATT&CK tactics as the SecurityInsights API spells them, and the techniques an analyst picks
 * most often when hunting in Sentinel data (any other technique id can be typed).
 */

/** Tactics, in kill-chain order. */
export const TACTICS: ReadonlyArray<{ id: string; label: string }> = [
  { id: 'Reconnaissance', label: 'Reconnaissance' },
  { id: 'ResourceDevelopment', label: 'Resource Development' },
  { id: 'InitialAccess', label: 'Initial Access' },
  { id: 'Execution', label: 'Execution' },
  { id: 'Persistence', label: 'Persistence' },
  { id: 'PrivilegeEscalation', label: 'Privilege Escalation' },
  { id: 'DefenseEvasion', label: 'Defense Evasion' },
  { id: 'CredentialAccess', label: 'Credential Access' },
  { id: 'Discovery', label: 'Discovery' },
  { id: 'LateralMovement', label: 'Lateral Movement' },
  { id: 'Collection', label: 'Collection' },
  { id: 'CommandAndControl', label: 'Command and Control' },
  { id: 'Exfiltration', label: 'Exfiltration' },
  { id: 'Impact', label: 'Impact' }
];

/** Common techniques and sub-techniques, by id. */
export const TECHNIQUES: Readonly<Record<string, string>> = {
  T1078: 'Valid Accounts',
  'T1078.004': 'Valid Accounts: Cloud Accounts',
  T1110: 'Brute Force',
  'T1110.001': 'Brute Force: Password Guessing',
  'T1110.003': 'Brute Force: Password Spraying',
  'T1110.004': 'Brute Force: Credential Stuffing',
  T1621: 'Multi-Factor Authentication Request Generation',
  T1528: 'Steal Application Access Token',
  T1539: 'Steal Web Session Cookie',
  T1003: 'OS Credential Dumping',
  'T1003.001': 'OS Credential Dumping: LSASS Memory',
  'T1558.003': 'Steal or Forge Kerberos Tickets: Kerberoasting',
  'T1550.002': 'Use Alternate Authentication Material: Pass the Hash',
  T1566: 'Phishing',
  'T1566.001': 'Phishing: Spearphishing Attachment',
  'T1566.002': 'Phishing: Spearphishing Link',
  T1190: 'Exploit Public-Facing Application',
  T1133: 'External Remote Services',
  T1059: 'Command and Scripting Interpreter',
  'T1059.001': 'Command and Scripting Interpreter: PowerShell',
  'T1059.003': 'Command and Scripting Interpreter: Windows Command Shell',
  T1047: 'Windows Management Instrumentation',
  'T1569.002': 'System Services: Service Execution',
  'T1053.005': 'Scheduled Task/Job: Scheduled Task',
  T1098: 'Account Manipulation',
  T1136: 'Create Account',
  'T1547.001': 'Boot or Logon Autostart Execution: Registry Run Keys',
  T1055: 'Process Injection',
  T1027: 'Obfuscated Files or Information',
  'T1070.001': 'Indicator Removal: Clear Windows Event Logs',
  T1087: 'Account Discovery',
  T1018: 'Remote System Discovery',
  T1082: 'System Information Discovery',
  T1021: 'Remote Services',
  'T1021.001': 'Remote Services: Remote Desktop Protocol',
  'T1021.002': 'Remote Services: SMB/Windows Admin Shares',
  'T1021.006': 'Remote Services: Windows Remote Management',
  T1114: 'Email Collection',
  'T1114.003': 'Email Collection: Email Forwarding Rule',
  T1071: 'Application Layer Protocol',
  T1105: 'Ingress Tool Transfer',
  T1041: 'Exfiltration Over C2 Channel',
  T1567: 'Exfiltration Over Web Service',
  T1486: 'Data Encrypted for Impact',
  T1490: 'Inhibit System Recovery'
};

/** True for an ATT&CK technique or sub-technique id, e.g. `T1110` or `T1110.003`. */
export function isTechniqueId(text: string): boolean {
  return /^T\d{4}(\.\d{3})?$/.test(text);
}
