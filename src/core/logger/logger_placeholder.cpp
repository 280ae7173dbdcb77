// placeholder: replaced by the logger implementation
