# eventlet must patch the standard library before pymongo, urllib3 or elasticsearch load.
import eventlet

eventlet.monkey_patch()
