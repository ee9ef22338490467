// Kusto.Language (Bridge.NET output) references Node's `fs`, which it never uses in the browser.
// Its Node-only loader code also `require`s an expression, which the bundler warns about (with the
// whole minified script in the message); that branch never runs in the browser.
module.exports = {
  resolve: { fallback: { fs: false } },
  ignoreWarnings: [
    {
      module: /@kusto[\\/]language-service-next/,
      message: /Critical dependency/
    }
  ]
};
