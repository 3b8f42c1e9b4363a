"""The API of the organisation domain (the tree, regions, the roster, roles and leadership
groups): viewsets on the shared base, their serializers, filters and routes (``urls``,
registered with sameboat.api in OrgsConfig.ready())."""
