"""Placeholder: filled in by the JSON API work."""

from fastapi import APIRouter

router = APIRouter()
