// Filled by the delivery work.
