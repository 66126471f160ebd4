"""Test-wide fixtures. Tests are django.test.TestCase classes (docs/style.md)."""
