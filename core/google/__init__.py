"""Google's side: credentials, where each Google API is reached, and the Cloud Logging reader."""
