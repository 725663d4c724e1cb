// Filled by the services work.
