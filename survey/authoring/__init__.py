"""The Forms page: upload, check, preview and publish survey forms in the web UI."""
