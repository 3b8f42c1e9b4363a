"""The API of the health domain (check-ins, daily returns, follow-up cases, quarantines):
viewsets on the shared base, their serializers, filters and routes (``urls``, registered
with sameboat.api in HealthConfig.ready())."""
