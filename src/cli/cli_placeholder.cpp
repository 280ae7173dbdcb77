// placeholder: replaced by the CLI implementation
