import { dateTimeScalar } from '@sp/runtime/scalars';
import { builder } from '../builder';

builder.scalarType('DateTime', dateTimeScalar);
