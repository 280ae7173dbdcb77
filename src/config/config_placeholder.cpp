// placeholder: replaced by the config reader implementation
