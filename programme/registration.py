"""What the programme app registers with the kernel (menu entries, demo data,
periodic tasks)."""
