"""What every layer shares: settings, typed errors and the result types. Imports nothing of
the project, so index/ and rag/ both build on it."""
