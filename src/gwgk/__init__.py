"""gwgk"""
