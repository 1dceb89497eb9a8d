"""Subscriptions to other apps' domain events."""
