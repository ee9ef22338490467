// Kusto.Language (Bridge.NET output) references Node's `fs`, which it never uses in the browser.
module.exports = {
  resolve: { fallback: { fs: false } }
};
