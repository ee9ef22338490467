/**
 * Global setup of the Node tests: the Azure emulator serves HTTPS on 127.0.0.1 with a self-signed
 * certificate (the Azure SDK sends bearer tokens over TLS only, MSAL.js wants an https authority),
 * so Node's TLS in the test processes must accept it. Set in the runner's own environment, which
 * the test workers inherit: a test's `process.env` is a sandboxed copy that TLS never reads.
 */
module.exports = () => {
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
};
