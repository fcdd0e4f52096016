"""`labelbox.schema.export_task`, for scripts that import from the SDK's path."""

from ..export_stream import BufferedJsonConverterOutput, BufferedStream, StreamType
from ..export_task import ExportTask

__all__ = ["BufferedJsonConverterOutput", "BufferedStream", "ExportTask", "StreamType"]
