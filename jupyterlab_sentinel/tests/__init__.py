"""Python unit tests for jupyterlab_sentinel."""
