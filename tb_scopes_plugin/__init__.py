"""tensorboard-plugin-scopes: variable scopes, reuse and missed weight sharing on TensorBoard's graphs."""
