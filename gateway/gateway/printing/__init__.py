"""Printed forms (打印): the application form, the publicity notice, the city aggregation table and the
payment detail as PDF, each with a QR code to its public verification page."""
