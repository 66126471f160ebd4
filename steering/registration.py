"""What the steering app registers with the kernel (menu entries, demo data,
periodic tasks)."""
