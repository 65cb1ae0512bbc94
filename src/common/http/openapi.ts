import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Serves the OpenAPI document at /openapi.json and an explorer at /docs. */
export function setupOpenApi(app: INestApplication, version: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Shotclock')
      .setDescription(
        'Orchestration backend: exact, observable decisions from at-least-once messages. ' +
          'Routes under /v1/ need `Authorization: Bearer <ADMIN_TOKEN>` (loopback only when no token is set), ' +
          'except the Pub/Sub push endpoints.',
      )
      .setVersion(version)
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
}
