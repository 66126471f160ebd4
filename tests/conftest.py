"""Test-wide fixtures. Tests are django.test.TestCase classes (style.md)."""
