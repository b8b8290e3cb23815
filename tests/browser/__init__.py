"""Real-browser tests: JupyterLab in headless Chromium, driven by Playwright.

A package so that its conftest.py does not take the place of tests/conftest.py as the
module ``conftest`` that the other test files import.
"""
