memory      = 2048
enable_xray = true
