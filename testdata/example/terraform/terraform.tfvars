# Production sizing: someone doubled memory without checking the Fargate table.
memory = 3000
