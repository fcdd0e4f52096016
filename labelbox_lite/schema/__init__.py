"""The SDK's `labelbox.schema.<module>` import paths, each re-exporting labelbox_lite's names.

Nothing here loads with `import labelbox_lite`; a module loads what it names when it is imported.
"""
