/** Kusto.Language's two scripts: evaluated for their side effect of defining globals. */
declare module '@kusto/language-service-next/bridge.min.js';
declare module '@kusto/language-service-next/Kusto.Language.Bridge.min.js';
