"""The HTML side of the service: how pages are rendered (`render`: Jinja set-up, page language, `Renderer`), what
each page shows (`contexts`), and the pictures pages show inline (`pictures`). The routes serving them are in
api/routes/.
"""
