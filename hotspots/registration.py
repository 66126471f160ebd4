"""What the hotspots app registers with the kernel (menu entries, demo data,
periodic tasks)."""
